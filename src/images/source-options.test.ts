import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.ts';
import { instanceSchema, type Instance } from '../instances/schema.ts';
import { parseImageReference } from './reference.ts';
import { checkImageSourceOptions, pullReference } from './source-options.ts';

const record = (over: Record<string, unknown> = {}): Instance => ({
  ...instanceSchema.parse({
    instance_id: 'astropy__astropy-12907',
    repo: 'astropy/astropy',
    base_commit: 'abc1234',
    patch: '',
    test_patch: '',
    problem_statement: '',
    FAIL_TO_PASS: [],
    PASS_TO_PASS: [],
    ...over,
  }),
  baseDir: '/',
});

describe('the name an instance image is pulled under', () => {
  it('is the official name by default, on Docker Hub', () => {
    const name = pullReference(record());
    expect(name).toBe('swebench/sweb.eval.x86_64.astropy_1776_astropy-12907:latest');
    expect(parseImageReference(name)).toEqual({
      registry: 'docker.io',
      repository: 'swebench/sweb.eval.x86_64.astropy_1776_astropy-12907',
      tag: 'latest',
    });
  });

  it('moves to a mirror with --registry: a bare host keeps the swebench namespace, a prefix replaces it', () => {
    expect(pullReference(record(), { registry: '127.0.0.1:5000' })).toBe(
      '127.0.0.1:5000/swebench/sweb.eval.x86_64.astropy_1776_astropy-12907:latest',
    );
    expect(pullReference(record(), { registry: 'mirror.example.com/sweb/' })).toBe(
      'mirror.example.com/sweb/sweb.eval.x86_64.astropy_1776_astropy-12907:latest',
    );
    expect(parseImageReference('127.0.0.1:5000/swebench/x:latest').registry).toBe('127.0.0.1:5000');
  });

  it('follows --image-template, and a record naming its own image is pulled as named', () => {
    expect(pullReference(record(), { registry: 'r.example:443/x', imageTemplate: '{registry}/{instance_id}:v2' })).toBe(
      'r.example:443/x/astropy__astropy-12907:v2',
    );
    expect(pullReference(record({ image: 'ghcr.io/me/astropy:1' }), { registry: '127.0.0.1:5000' })).toBe(
      'ghcr.io/me/astropy:1',
    );
  });

  it('refuses bad flags with one sentence naming the flag', () => {
    expect(() => checkImageSourceOptions({ registry: 'https://mirror.example.com' })).toThrow(UsageError);
    expect(() => checkImageSourceOptions({ registry: 'https://mirror.example.com' })).toThrow(
      /^--registry .*no scheme/,
    );
    expect(() => checkImageSourceOptions({ imageTemplate: 'mirror/sweb:latest' })).toThrow(/has no \{id\}/);
    expect(() => checkImageSourceOptions({ imageTemplate: '{registry}/{id}:{tag}' })).toThrow(/names \{tag\}/);
    expect(checkImageSourceOptions({ registry: 'localhost:5000/swebench', imageTemplate: '{registry}/{id}' })).toEqual({
      registry: 'localhost:5000/swebench',
      imageTemplate: '{registry}/{id}',
    });
  });

  it('parses references as the engine does', () => {
    expect(parseImageReference('ubuntu')).toEqual({
      registry: 'docker.io',
      repository: 'library/ubuntu',
      tag: 'latest',
    });
    expect(parseImageReference('localhost/a/b:1@sha256:ab')).toEqual({
      registry: 'localhost',
      repository: 'a/b',
      tag: '1',
      digest: 'sha256:ab',
    });
  });
});
