#!/usr/bin/env node
// The operator CLI (`npx klaxon …`): runs src/cli/main.ts through tsx, so there is no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
