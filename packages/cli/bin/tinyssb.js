#!/usr/bin/env node
// Committed entry point, so the bin exists on a fresh install before the build (TOOLCHAIN pitfall 5).
import { main } from '../dist/main.js'

process.exitCode = await main(process.argv.slice(2))
