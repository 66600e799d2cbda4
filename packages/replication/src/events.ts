// A tiny typed event emitter (no node:events, so the engine runs anywhere).

export type Listener<T> = (ev: T) => void

export class Emitter<E extends Record<string, unknown>> {
  private readonly listeners = new Map<keyof E, Set<Listener<never>>>()

  on<K extends keyof E>(name: K, fn: Listener<E[K]>): () => void {
    let set = this.listeners.get(name)
    if (!set) this.listeners.set(name, (set = new Set()))
    set.add(fn as Listener<never>)
    return () => void set.delete(fn as Listener<never>)
  }

  emit<K extends keyof E>(name: K, ev: E[K]): void {
    const set = this.listeners.get(name)
    if (!set) return
    for (const fn of set) {
      try {
        ;(fn as Listener<E[K]>)(ev)
      } catch {
        // a failing listener must not break the receive path
      }
    }
  }
}
