/**
 * @tinyssb/mvds/fs — the crash-safe disk stores of an MVDS node (Node only): an append-only
 * journal with fdatasync, replayed on open, torn tail cut, compacted by snapshot and rename.
 * @packageDocumentation
 */
export { COMPACT_SLACK_RECORDS, JOURNAL_FILE, openFsStores, type FsRepair, type FsStoresOptions } from './fs-stores.js'
