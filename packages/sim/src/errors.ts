// Errors of the simulator: a scenario that does not validate, a protocol that is not known, a run
// that cannot go on. Each is one clear line: the field, what was expected, what was found.
import { TinySSBError } from '@tinyssb/core'

/** Codes of {@link SimError}. */
export type SimErrorCode =
  | 'SIM_SCENARIO' // the scenario is malformed: `path` names the field
  | 'SIM_PROTOCOL' // the scenario names a protocol no adapter was given for
  | 'SIM_RUNAWAY' // more events at one instant than the limit: a protocol that reschedules itself at once
  | 'SIM_NOT_FOUND' // a scenario name that is neither built in nor a file

/** A simulator failure with a stable `code`; `message` is one line. */
export class SimError extends TinySSBError<SimErrorCode> {
  override name = 'SimError'
}

/**
 * A scenario field that does not validate. `path` is the field, e.g. `media[2].nodes[1]`;
 * `detail` what was expected and found; `source` the file, when known.
 */
export class ScenarioError extends SimError {
  override name = 'ScenarioError'
  readonly path: string
  readonly detail: string
  readonly source: string | undefined
  constructor(path: string, detail: string, source?: string) {
    super('SIM_SCENARIO', `${['scenario', [source, path].filter(Boolean).join(': ')].filter(Boolean).join(' ')}: ${detail}`)
    this.path = path
    this.detail = detail
    this.source = source
  }
}
