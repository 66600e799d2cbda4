// The protocols `tinyssb sim` knows, by the scenario's `protocol` name.
import type { ProtocolAdapter } from '../adapter.js'
import { floodAdapter } from '../adapters/flood.js'
import { mvdsAdapter, mvdsBatchAdapter, mvdsInteractiveAdapter } from '../adapters/mvds.js'
import { tinyssbAdapter } from '../adapters/tinyssb.js'
import { ScenarioError } from '../errors.js'
import type { Scenario } from '../scenario.js'

/** Every adapter shipped with the package, by protocol name. */
export const ADAPTERS: ReadonlyMap<string, ProtocolAdapter> = new Map(
  [tinyssbAdapter, floodAdapter, mvdsBatchAdapter, mvdsInteractiveAdapter, mvdsAdapter].map((a) => [a.name, a]),
)

/**
 * The adapter of `scenario.protocol`, after checking the scenario's `protocol_options` with it.
 * @throws ScenarioError for an unknown protocol or a bad option.
 */
export function adapterFor(scenario: Scenario, adapters: ReadonlyMap<string, ProtocolAdapter> = ADAPTERS, source?: string): ProtocolAdapter {
  const adapter = adapters.get(scenario.protocol)
  if (!adapter) {
    throw new ScenarioError('protocol', `unknown protocol ${JSON.stringify(scenario.protocol)} (expected one of ${[...adapters.keys()].join(', ')})`, source)
  }
  const options = scenario.protocolOptions
  try {
    if (adapter.checkOptions) adapter.checkOptions(options)
    else if (Object.keys(options).length > 0) throw new ScenarioError('protocol_options', `protocol ${adapter.name} takes no options`)
  } catch (err) {
    if (err instanceof ScenarioError && source !== undefined) throw new ScenarioError(err.path, err.detail, source)
    throw err
  }
  return adapter
}
