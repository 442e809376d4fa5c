import type { z } from 'zod';

/** A request/response method of a service: positional arguments as a zod tuple, and a result. */
export interface MethodSpec<P extends z.ZodTuple = z.ZodTuple, R extends z.ZodType = z.ZodType> {
  readonly kind: 'method';
  readonly params: P;
  readonly result: R;
}

/**
 * How an event is delivered to a renderer that cannot keep up (its socket's buffer is full):
 * `reliable` is always sent; `latest` keeps only the newest payload per `runId` until the link
 * drains (snapshots); `bounded` drops payloads and says so in the next one it sends, whose
 * `dropped` field counts what was lost (event and output streams).
 */
export type DeliveryPolicy = 'reliable' | 'latest' | 'bounded';

/** An event a service publishes; subscribers receive the payload, never a transport event object. */
export interface EventSpec<T extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  readonly payload: T;
  readonly policy: DeliveryPolicy;
  /**
   * Whether the host validates each payload before publishing. High-volume streams produced by the
   * engine itself (typed at compile time) skip it: parsing 20,000 events a frame would cost more
   * than the rest of the pipeline.
   */
  readonly validate: boolean;
  /** For `bounded` events: how many items a payload carries (default 1). */
  readonly measure?: (payload: never) => number;
  /** For `bounded` events: the payload that reports `dropped` items for a key when nothing else is sent. */
  readonly dropNotice?: (key: string, dropped: number) => unknown;
  /** For streams with a bulky part a window only shows so much of (traffic bytes): see {@link BulkAllowance}. */
  readonly bulk?: BulkAllowance<never>;
}

/**
 * How much of a stream's bulk a window takes: each peer may receive `bytesPerSecond` of it per key
 * (`runId`), refilled continuously up to one second's worth. `fit` gets a payload and the bytes the
 * peer may still take, and returns the payload to send (bulk past the allowance left out, and said
 * so in the payload, e.g. traffic counted without its bytes) and the bulk bytes it kept. A flood
 * then costs the host, the link and the window no more than the window can show.
 */
export interface BulkAllowance<P> {
  readonly bytesPerSecond: number;
  readonly fit: (payload: P, allowance: number) => { payload: P; used: number };
}

/** A service: method and event specs by name. Event names start with `on` (STYLE.md rule 4). */
export type ServiceSpec = Readonly<Record<string, MethodSpec | EventSpec>>;

/** The whole contract: services by name. */
export type ContractSpec = Readonly<Record<string, ServiceSpec>>;

/** Declares a method with its argument tuple and result schema. */
export function method<P extends z.ZodTuple, R extends z.ZodType>(params: P, result: R): MethodSpec<P, R> {
  return { kind: 'method', params, result };
}

/** Declares an event with its payload schema (reliable and validated unless told otherwise). */
export function event<T extends z.ZodType>(
  payload: T,
  options: {
    policy?: DeliveryPolicy;
    validate?: boolean;
    measure?: (payload: z.output<T>) => number;
    dropNotice?: (key: string, dropped: number) => z.output<T>;
    bulk?: BulkAllowance<z.output<T>>;
  } = {},
): EventSpec<T> {
  return {
    kind: 'event',
    payload,
    policy: options.policy ?? 'reliable',
    validate: options.validate ?? true,
    ...(options.measure ? { measure: options.measure as (payload: never) => number } : {}),
    ...(options.dropNotice ? { dropNotice: options.dropNotice } : {}),
    ...(options.bulk ? { bulk: options.bulk as unknown as BulkAllowance<never> } : {}),
  };
}

/** Something that can be released; every subscription returns one (STYLE.md rule 6). */
export interface Disposable {
  dispose(): void;
}

/** The channel name of a member: `service.member`. */
export type ChannelOf<S extends string, M extends string> = `${S}.${M}`;

/** The `as const` channel table of a contract: `Channels.host.info === 'host.info'`. */
export type ChannelTable<C extends ContractSpec> = {
  readonly [S in keyof C & string]: { readonly [M in keyof C[S] & string]: ChannelOf<S, M> };
};

/** Builds the channel table from a contract, so channel names are written once. */
export function channelTable<C extends ContractSpec>(contract: C): ChannelTable<C> {
  const table: Record<string, Record<string, string>> = {};
  for (const [service, members] of Object.entries(contract)) {
    table[service] = Object.fromEntries(Object.keys(members).map((m) => [m, `${service}.${m}`]));
  }
  return table as ChannelTable<C>;
}

/** The client-side API of a contract: methods return promises, events take a listener. */
export type ApiOf<C extends ContractSpec> = {
  readonly [S in keyof C]: {
    readonly [M in keyof C[S]]: C[S][M] extends MethodSpec<infer P, infer R>
      ? (...args: z.input<P>) => Promise<z.output<R>>
      : C[S][M] extends EventSpec<infer T>
        ? (listener: (payload: z.output<T>) => void) => Disposable
        : never;
  };
};

/** The host-side implementation of a contract: one handler per method. */
export type ImplementationOf<C extends ContractSpec> = {
  readonly [S in keyof C]: {
    readonly [M in keyof C[S] as C[S][M] extends MethodSpec ? M : never]: C[S][M] extends MethodSpec<infer P, infer R>
      ? (...args: z.output<P>) => Promise<z.input<R>> | z.input<R>
      : never;
  };
};

/** Payload type of an event channel. */
export type EventPayload<C extends ContractSpec, S extends keyof C, M extends keyof C[S]> =
  C[S][M] extends EventSpec<infer T> ? z.output<T> : never;

/** Finds the spec of a channel (`service.member`), or undefined for an unknown channel. */
export function lookup(contract: ContractSpec, channel: string): MethodSpec | EventSpec | undefined {
  const dot = channel.indexOf('.');
  if (dot <= 0) return undefined;
  const service = Object.hasOwn(contract, channel.slice(0, dot)) ? contract[channel.slice(0, dot)] : undefined;
  const member = channel.slice(dot + 1);
  return service && Object.hasOwn(service, member) ? service[member] : undefined;
}
