/** Resolved at bundle time by esbuild's alias to `jobs/<name>.ts` (see infra/job-function.ts). */
declare module 'bgjobs-job-module' {
  const exports: Record<string, unknown>;
  export = exports;
}
