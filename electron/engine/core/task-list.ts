// The loop's tasks that are not done yet (asyncio's _scheduled_tasks), in creation order. The links
// live in the tasks themselves: adding and removing a task is a few pointer writes, where a Set
// hashes every task in and out and regrows its table beside 100,000 live tasks.

/** What the list needs of a task: its two links. */
export interface Linked {
  _prevLive: Linked | null;
  _nextLive: Linked | null;
}

/** An intrusive doubly linked list of live tasks; iteration follows creation order. */
export class TaskList<T extends Linked> implements Iterable<T> {
  private _head: T | null = null;
  private _tail: T | null = null;
  private _size = 0;

  /** How many tasks are in the list. */
  get size(): number {
    return this._size;
  }

  /** Appends `task`, which must not be in the list. */
  add(task: T): void {
    task._prevLive = this._tail;
    task._nextLive = null;
    if (this._tail === null) this._head = task;
    else this._tail._nextLive = task;
    this._tail = task;
    this._size++;
  }

  /** Removes `task`; nothing happens if it is not in the list. */
  delete(task: T): void {
    const prev = task._prevLive as T | null;
    const next = task._nextLive as T | null;
    if (prev === null && this._head !== task) return;
    if (prev === null) this._head = next;
    else prev._nextLive = next;
    if (next === null) this._tail = prev;
    else next._prevLive = prev;
    task._prevLive = task._nextLive = null;
    this._size--;
  }

  *[Symbol.iterator](): Iterator<T> {
    // The next link is read first, so that the caller may remove the task it was just given.
    for (let t = this._head; t !== null; ) {
      const next = t._nextLive as T | null;
      yield t;
      t = next;
    }
  }
}
