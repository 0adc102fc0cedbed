#!/usr/bin/env node
// The CLI is written in TypeScript, like `npm start`: tsx compiles it on the fly.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
