#!/usr/bin/env node
// The `tocsin` command: runs the compiled CLI.
import '../dist/cli/main.js';
