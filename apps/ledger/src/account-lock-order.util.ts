/**
 * The accounts one database transaction holds locked, in the order it locked them. Writers lock
 * accounts in ascending id order, so that no two of them ever wait on each other in a cycle. A
 * chunk is one transaction but may reach the journal in several runs (a run per event type), and
 * each run locks its own accounts; the order holds across the runs only while every run locks
 * accounts above all those the transaction already holds; otherwise its wait is out of order.
 */
export class HeldAccountLocks {
  private readonly held = new Set<string>();
  private highestId: string | undefined;

  /** Whether locking `ids` now keeps ascending order over the whole transaction. */
  keepsOrder(ids: readonly string[]): boolean {
    const highestId = this.highestId;
    if (highestId === undefined) return true;
    return ids.every((id) => this.held.has(id) || id > highestId);
  }

  add(ids: readonly string[]): void {
    for (const id of ids) {
      this.held.add(id);
      if (this.highestId === undefined || id > this.highestId) this.highestId = id;
    }
  }
}
