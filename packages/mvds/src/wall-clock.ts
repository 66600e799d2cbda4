// The one read of the host's wall clock in this package: message timestamps are Unix seconds
// (data on the wire, as the Go reference's time.Now().Unix()), not timing. Hosts inject their own
// through the `unixTime` option; nothing here schedules anything.

/** Unix time in whole seconds. */
export function unixSeconds(): bigint {
  return BigInt(Math.floor(Date.now() / 1000))
}
