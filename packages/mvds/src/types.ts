// Plain data types of the MVDS wire (2/MVDS, 4/MVDS-META). The codec maps them to and from the
// protobuf messages generated from proto/sync.proto; nothing outside codec.ts sees protobuf types.

/** 4/MVDS-META: the parents of a message in its group's DAG, and whether it is ephemeral. */
export interface MvdsMetadata {
  /** Ids (32 bytes) of the messages this one follows. */
  readonly parents: readonly Uint8Array[]
  /** Ephemeral messages are never ACKed, retransmitted or stored. */
  readonly ephemeral: boolean
}

/** One MVDS message. Its id is {@link messageId}. */
export interface MvdsMessage {
  /** 32 bytes: the sync context the message belongs to. */
  readonly groupId: Uint8Array
  /** int64, Unix seconds by convention (the Go reference uses time.Now().Unix()). */
  readonly timestamp: bigint
  readonly body: Uint8Array
  /** Absent: no metadata field on the wire (not the same bytes as an empty one). */
  readonly metadata?: MvdsMetadata | undefined
}

/** One datagram's worth of records. Ids are 32 bytes. */
export interface MvdsPayload {
  readonly acks: readonly Uint8Array[]
  readonly offers: readonly Uint8Array[]
  readonly requests: readonly Uint8Array[]
  readonly messages: readonly MvdsMessage[]
}

/** The record types that have sync state (ACKs have none: they are never retransmitted). */
export type RecordType = 'OFFER' | 'REQUEST' | 'MESSAGE'

/** Which field numbers the wire uses: the Go reference and status-go (1–4), or the RFC text (5001–5004, 6001–6004). */
export type WireNumbering = 'go' | 'rfc'

/** Length of message, group, ack, offer, request and parent ids. */
export const ID_BYTES = 32
