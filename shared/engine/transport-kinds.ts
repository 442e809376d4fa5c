// The kinds of transport, as events and snapshots name them (transportKindSchema in
// transport-events.ts validates them). A plain list, so that the engine and the batch encoding know
// them without loading zod.

/** What a transport carries: a TCP connection, a UDP endpoint, a child process, one of a child's
 * pipes (or a pipe from `connectReadPipe`/`connectWritePipe`), or the in-memory pair. */
export const TRANSPORT_KINDS = ['tcp', 'udp', 'subprocess', 'pipe', 'memory'] as const;
