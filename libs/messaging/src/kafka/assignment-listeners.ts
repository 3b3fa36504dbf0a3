import type { PartitionAssignment } from './kafka-client';

const NOTHING_ASSIGNED: PartitionAssignment = new Map();

/** The listeners of one consumer's assignment (RecordConsumer.onAssignmentChange). */
export class AssignmentListeners {
  private readonly listeners: ((assignment: PartitionAssignment) => void)[] = [];

  add(listener: (assignment: PartitionAssignment) => void): void {
    this.listeners.push(listener);
  }

  changed(assignment: PartitionAssignment): void {
    for (const listener of this.listeners) listener(assignment);
  }

  revoked(): void {
    this.changed(NOTHING_ASSIGNED);
  }
}
