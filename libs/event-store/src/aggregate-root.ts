/** A fact recorded in an aggregate's stream: a stable wire name and its data. */
export interface DomainEvent<T extends string = string, D extends object = object> {
  type: T;
  data: D;
}

/**
 * Event-sourced aggregate: state changes only in `when` (the apply handler); commands validate
 * against the current state and `raise` events, which are applied at once and kept as pending until
 * the repository appends them.
 */
export abstract class AggregateRoot<E extends DomainEvent> {
  private loaded = 0;
  private readonly pending: E[] = [];

  /** The stream version the aggregate was loaded at: the expected version of the next append. */
  get loadedVersion(): number {
    return this.loaded;
  }

  /** The version after the pending events are appended. */
  get version(): number {
    return this.loaded + this.pending.length;
  }

  get uncommittedEvents(): readonly E[] {
    return this.pending;
  }

  /** Replays the stream's history (events in version order). */
  loadFromHistory(history: readonly E[]): this {
    for (const event of history) {
      this.when(event);
      this.loaded++;
    }
    return this;
  }

  protected raise(event: E): void {
    this.when(event);
    this.pending.push(event);
  }

  protected abstract when(event: E): void;
}
