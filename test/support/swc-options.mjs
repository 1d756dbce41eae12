// One SWC setup for Jest and for hubs run from TypeScript sources as child processes: decorators with metadata
// (Nest's injection needs it; esbuild/tsx emit none), ES modules.
export const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
    target: 'es2022',
  },
  module: { type: 'es6' },
};
