// Scenario files: the built-in ones shipped in the package's scenarios/ directory, or any JSON
// file, read and validated into one clear error line when something is wrong.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ProtocolAdapter } from '../adapter.js'
import { ScenarioError, SimError } from '../errors.js'
import type { Scenario } from '../scenario.js'
import { parseScenario } from '../validate.js'
import { ADAPTERS, adapterFor } from './adapters.js'

/** The directory of the built-in scenarios (`scenarios/` in the package). */
export const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url))

/** Largest scenario file read (a generated topology is a few lines, not megabytes). */
const MAX_FILE_BYTES = 64 * 1024 * 1024

/** Names of the built-in scenarios, sorted. */
export function builtinScenarios(): string[] {
  return readdirSync(SCENARIOS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort()
}

/**
 * Reads and validates a scenario: a built-in name (e.g. `relay`) or a path to a JSON file. Its
 * protocol must be one of `adapters`, which checks the `protocol_options`.
 * @throws SimError SIM_NOT_FOUND when it is neither; ScenarioError (SIM_SCENARIO) for a file that
 *   is not JSON or does not validate, naming the file and the field.
 */
export function loadScenario(
  nameOrPath: string,
  adapters: ReadonlyMap<string, ProtocolAdapter> = ADAPTERS,
): { scenario: Scenario; source: string; adapter: ProtocolAdapter } {
  const builtin = /^[A-Za-z0-9_-]+$/.test(nameOrPath) && builtinScenarios().includes(nameOrPath)
  const file = builtin ? join(SCENARIOS_DIR, `${nameOrPath}.json`) : nameOrPath
  if (!builtin && !(existsSync(file) && statSync(file).isFile())) {
    throw new SimError('SIM_NOT_FOUND', `no built-in scenario or file named ${JSON.stringify(nameOrPath)} (built-ins: ${builtinScenarios().join(', ')})`)
  }
  const source = builtin ? nameOrPath : file
  if (statSync(file).size > MAX_FILE_BYTES) throw new ScenarioError('', `larger than ${MAX_FILE_BYTES} bytes`, source)
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new ScenarioError('', `not valid JSON: ${(err as Error).message.split('\n')[0]}`, source)
  }
  let scenario: Scenario
  try {
    scenario = parseScenario(raw, basename(file).replace(/\.json$/, ''))
  } catch (err) {
    if (err instanceof ScenarioError) throw new ScenarioError(err.path, err.detail, source)
    throw err
  }
  return { scenario, source, adapter: adapterFor(scenario, adapters, source) }
}
