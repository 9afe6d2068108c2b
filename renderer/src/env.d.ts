// Lets TypeScript accept Vite-handled imports such as the global stylesheet in main.ts.
/// <reference types="vite/client" />
