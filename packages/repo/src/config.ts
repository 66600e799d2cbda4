// A node's config.json and state.json, in exactly the format the reference's test_init.py writes
// (vectors/config_samples.json): Python json.dumps(indent=2), keys in this order, no final newline.
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fromHex, toHex } from '@tinyssb/packet'
import { checkBytes, isSeq } from './checks.js'
import { errnoCode, ioError, StoreError } from './errors.js'
import { writeAtomic } from './fs-dir.js'

/** The file name of a node's configuration (it holds the secret seed: mode 0600). */
export const CONFIG_FILE = 'config.json'
/** The file name of a node's state file; the reference writes `{}` and never reads it. */
export const STATE_FILE = 'state.json'
/** Mode of config.json: owner read/write only. */
export const CONFIG_FILE_MODE = 0o600
/**
 * The largest config.json accepted, in characters (1 MiB: room for about 10,000 trusted feeds).
 * Longer text is CONFIG_INVALID before it is parsed.
 */
export const MAX_CONFIG_CHARS = 1 << 20
/** The deepest nesting of lists and objects accepted; a valid config nests 3 deep. */
export const MAX_CONFIG_DEPTH = 8
const HEX64 = /^[0-9a-fA-F]{64}$/
const HEX = /^(?:[0-9a-fA-F]{2})*$/

/** A node's configuration (data/nodeX/config.json). */
export interface NodeConfig {
  /** The node's name, e.g. "nodeA". */
  name: string
  /** The node's own feed ID (32-byte ed25519 public key). */
  feedID: Uint8Array
  /** The 32-byte ed25519 seed of the feed (not a 64-byte secret key). Never log it. */
  secret: Uint8Array
  /** Hex; always "616263" ("abc") in the reference, which never uses it. */
  msgID0: string
  /** Feeds this node follows: feed ID, a seq and a hex "mid" (the reference writes 0 and "616263"). */
  trusted: { fid: Uint8Array; seq: number; mid: string }[]
}

/**
 * The text of config.json, byte-identical to Python's `json.dumps(cfg, indent=2)` (ASCII only:
 * other characters become \uXXXX escapes, as with Python's default ensure_ascii), no final newline.
 * @param cfg - the configuration.
 * @returns the file's text.
 * @throws PacketError PACKET_LENGTH for a feed ID or secret that is not 32 bytes; TypeError for
 *   other malformed fields.
 */
export function formatConfig(cfg: NodeConfig): string {
  checkBytes(cfg.feedID, 32, 'feedID')
  checkBytes(cfg.secret, 32, 'secret')
  if (typeof cfg.name !== 'string') throw new TypeError('"name" expected a string')
  if (typeof cfg.msgID0 !== 'string') throw new TypeError('"msgID0" expected a string')
  const trusted = cfg.trusted.map((t, i) => {
    checkBytes(t.fid, 32, `trusted[${i}].fid`)
    if (!isSeq(t.seq)) throw new TypeError(`"trusted[${i}].seq" expected an integer in 0..2^32-1, got ${t.seq}`)
    if (typeof t.mid !== 'string') throw new TypeError(`"trusted[${i}].mid" expected a string`)
    return [toHex(t.fid), t.seq, t.mid]
  })
  const obj = { name: cfg.name, feedID: toHex(cfg.feedID), secret: toHex(cfg.secret), msgID0: cfg.msgID0, trusted }
  // JSON.stringify(…, 2) lays out like Python's indent=2; only the non-ASCII escaping differs.
  return JSON.stringify(obj, null, 2).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/**
 * Parses the text of a config.json. Bounded: text over {@link MAX_CONFIG_CHARS} characters or
 * nested deeper than {@link MAX_CONFIG_DEPTH} is refused before it is parsed.
 * @param text - the file's content.
 * @param source - names the file in error messages (default "config.json").
 * @returns the configuration.
 * @throws StoreError CONFIG_INVALID naming the field, what was expected and what was found (the
 *   secret's value is never quoted).
 */
export function parseConfig(text: string, source = CONFIG_FILE): NodeConfig {
  const bad = (msg: string): StoreError => new StoreError('CONFIG_INVALID', `${source}: ${msg}`)
  if (typeof text !== 'string') throw bad(`expected text, got ${kind(text)}`)
  if (text.length > MAX_CONFIG_CHARS) throw bad(`${text.length} characters, more than the ${MAX_CONFIG_CHARS} a config may have`)
  const depth = jsonDepth(text, MAX_CONFIG_DEPTH)
  if (depth > MAX_CONFIG_DEPTH) throw bad(`lists or objects nested more than ${MAX_CONFIG_DEPTH} deep (a config nests 3 deep)`)
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    // The parser's message may quote the text around the error, secret included: keep only the position.
    const at = /position (\d+)/.exec(String((err as Error).message))
    throw bad(`not valid JSON${at ? ` (at character ${at[1]})` : ''}`)
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad(`expected a JSON object, got ${kind(raw)}`)
  const o = raw as Record<string, unknown>
  const str = (key: string): string => {
    const v = o[key]
    if (typeof v !== 'string') throw bad(`"${key}" expected a string, got ${kind(v)}`)
    return v
  }
  const name = str('name')
  const feedID = str('feedID')
  if (!HEX64.test(feedID)) throw bad(`"feedID" expected 64 hex digits, got ${quote(feedID)}`)
  const secret = str('secret')
  if (!HEX64.test(secret)) throw bad(`"secret" expected 64 hex digits (a 32-byte seed), got a string of ${secret.length} characters`)
  const msgID0 = str('msgID0')
  if (!HEX.test(msgID0)) throw bad(`"msgID0" expected hex, got ${quote(msgID0)}`)
  const list = o.trusted
  if (!Array.isArray(list)) throw bad(`"trusted" expected a list, got ${kind(list)}`)
  const trusted = list.map((t: unknown, i) => {
    const where = `"trusted"[${i}]`
    if (!Array.isArray(t) || t.length !== 3) throw bad(`${where} expected [feed ID, seq, mid], got ${kind(t)}`)
    const [fid, seq, mid] = t as unknown[]
    if (typeof fid !== 'string' || !HEX64.test(fid)) throw bad(`${where}[0] expected 64 hex digits, got ${quote(fid)}`)
    if (typeof seq !== 'number' || !isSeq(seq)) throw bad(`${where}[1] expected an integer in 0..2^32-1, got ${quote(seq)}`)
    if (typeof mid !== 'string' || !HEX.test(mid)) throw bad(`${where}[2] expected a hex string, got ${quote(mid)}`)
    return { fid: fromHex(fid), seq, mid }
  })
  return { name, feedID: fromHex(feedID), secret: fromHex(secret), msgID0, trusted }
}

function kind(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return `a list of ${v.length}`
  return typeof v === 'object' ? 'an object' : typeof v === 'undefined' ? 'nothing' : `a ${typeof v}`
}

/** A short rendering of a value for an error message; lists and objects are only described. */
function quote(v: unknown): string {
  if (typeof v === 'object' && v !== null) return kind(v)
  const s = JSON.stringify(v) ?? String(v)
  return s.length > 70 ? `${s.slice(0, 67)}…` : s
}

/**
 * The deepest nesting of `[` and `{` in JSON text (outside strings), in one pass without recursion;
 * stops counting once past `limit`.
 */
function jsonDepth(text: string, limit: number): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) {
      inString = true
    } else if (c === 0x5b || c === 0x7b) {
      depth++
      if (depth > max) max = depth
      if (max > limit) return max
    } else if (c === 0x5d || c === 0x7d) {
      depth--
    }
  }
  return max
}

/**
 * Reads and parses `nodeDir/config.json`.
 * @throws StoreError STORE_NOT_FOUND when the file is missing, CONFIG_INVALID, STORE_IO.
 */
export async function readNodeConfig(nodeDir: string): Promise<NodeConfig> {
  const path = join(nodeDir, CONFIG_FILE)
  let text: string
  let fd: number | undefined
  try {
    fd = openSync(path, 'r')
    // bounded: a huge file is refused before it is read (UTF-8 takes at least a byte per character)
    const size = fstatSync(fd).size
    if (size > 4 * MAX_CONFIG_CHARS) {
      throw new StoreError('CONFIG_INVALID', `${path}: ${size} bytes, more than a config may have`)
    }
    text = readFileSync(fd, 'utf8')
  } catch (err) {
    if (err instanceof StoreError) throw err
    if (errnoCode(err) === 'ENOENT') throw new StoreError('STORE_NOT_FOUND', `no ${CONFIG_FILE} in ${nodeDir}`)
    throw ioError(`cannot read ${path}`, err)
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
  return parseConfig(text, path)
}

/**
 * Writes `nodeDir/config.json` (creating `nodeDir` if needed) with mode 0600, atomically (a
 * temporary file, fsynced, then rename): a crash leaves the old file or the new one.
 * @throws StoreError STORE_IO; PacketError PACKET_LENGTH / TypeError for a malformed config.
 * @example
 * ```ts
 * const secret = randomBytes(32)
 * await writeNodeConfig('data/nodeA', { name: 'nodeA', feedID: ed25519.publicKey(secret), secret, msgID0: '616263', trusted: [] })
 * ```
 */
export async function writeNodeConfig(nodeDir: string, cfg: NodeConfig): Promise<void> {
  const text = formatConfig(cfg)
  const path = join(nodeDir, CONFIG_FILE)
  try {
    mkdirSync(nodeDir, { recursive: true })
    writeAtomic(path, new TextEncoder().encode(text), { mode: CONFIG_FILE_MODE, durable: true })
  } catch (err) {
    throw ioError(`cannot write ${path}`, err)
  }
}

/**
 * Writes `nodeDir/state.json` as the reference does: the two bytes `{}`.
 * @throws StoreError STORE_IO.
 */
export async function writeState(nodeDir: string): Promise<void> {
  const path = join(nodeDir, STATE_FILE)
  try {
    mkdirSync(nodeDir, { recursive: true })
    writeAtomic(path, new TextEncoder().encode('{}'), { durable: true })
  } catch (err) {
    throw ioError(`cannot write ${path}`, err)
  }
}
