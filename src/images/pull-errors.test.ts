import { describe, expect, it } from 'vitest';
import { classifyPullError } from './pull-errors.ts';

const image = '127.0.0.1:5000/swebench/sweb.eval.x86_64.demo_1776_x-1:latest';
const classify = (detail: string, hasCredentials = false) =>
  classifyPullError(image, '127.0.0.1:5000', detail, { hasCredentials });

// The engine's own words, as Docker 20.10 answered them on this machine (and as Docker Hub words them).
describe('a failed pull is named by its cause, in one sentence naming the image, the registry and what to do', () => {
  it('registry unreachable: retried, then named', () => {
    const e = classify('Get "http://127.0.0.1:5000/v2/": dial tcp 127.0.0.1:5000: connect: connection refused');
    expect(e).toMatchObject({ code: 'pull_unreachable', transient: true, exitCode: 4 });
    expect(e.message).toMatch(/^Registry 127\.0\.0\.1:5000 cannot be reached to pull .*x-1:latest .*--registry/);
    const hub = classifyPullError(
      'swebench/x:latest',
      'docker.io',
      'dial tcp: lookup registry-1.docker.io on 10.0.0.1:53: no such host',
      { hasCredentials: false },
    );
    expect(hub.message).toMatch(/^Registry Docker Hub \(docker\.io\) cannot be reached/);
  });

  it('image not found, also as Docker Hub says it to an anonymous pull', () => {
    expect(classify('manifest for x not found: manifest unknown: manifest unknown')).toMatchObject({
      code: 'pull_not_found',
      transient: false,
    });
    const hub = classify(
      "pull access denied for swebench/nope, repository does not exist or may require 'docker login'",
    );
    expect(hub.code).toBe('pull_not_found');
    expect(hub.message).toMatch(/log in with docker login/);
  });

  it('unauthorized, disk full, and other failures', () => {
    expect(classify('unauthorized: authentication required', true)).toMatchObject({ code: 'pull_unauthorized' });
    expect(
      classify(
        "pull access denied for x, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
        true,
      ).code,
    ).toBe('pull_unauthorized');
    const full = classify('failed to register layer: write /var/lib/docker/x: no space left on device');
    expect(full.code).toBe('pull_disk_full');
    expect(full.message).toMatch(/--max-image-disk/);
    expect(classify('received unexpected HTTP status: 503 Service Unavailable')).toMatchObject({
      code: 'pull_failed',
      transient: true,
    });
    expect(classify('something new')).toMatchObject({ code: 'pull_failed', transient: false });
  });
});
