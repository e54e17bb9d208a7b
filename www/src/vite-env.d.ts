/// <reference types="vite/client" />

/** True in the e2e build only (`vite build --mode e2e`): the test hooks of test-hooks.ts. */
declare const __KPIDASH_TEST_HOOKS__: boolean;

/** The subresource integrity (`sha384-…`) of pkg/kpidash_bg.wasm, checked when the worker fetches it; "" if it was not built. */
declare const __KPIDASH_WASM_INTEGRITY__: string;
