#!/usr/bin/env node
// The `parley` command. Parley ships as TypeScript; tsx compiles it on load, so the CLI works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
