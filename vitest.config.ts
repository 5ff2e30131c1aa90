import { defineConfig } from 'vitest/config';

// Two projects: fast pure tests, and tests that drive the real Docker engine. The Docker project
// builds the base image once per run (globalSetup) and runs files one at a time: 2 cores are shared.
// Both build dist/ first if src/ changed, since tests spawn the CLI (bin/hotmess.js runs dist/).
// The browser test (headless Chromium on report.html) takes a few seconds and runs with the unit tests.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/browser/**/*.test.ts'],
          globalSetup: ['test/build-dist.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'docker',
          include: ['test/docker/**/*.test.ts'],
          globalSetup: ['test/build-dist.ts', 'test/docker/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
