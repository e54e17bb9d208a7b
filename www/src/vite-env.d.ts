/// <reference types="vite/client" />

/** True in the e2e build only (`vite build --mode e2e`): the test hooks of test-hooks.ts. */
declare const __KPIDASH_TEST_HOOKS__: boolean;
