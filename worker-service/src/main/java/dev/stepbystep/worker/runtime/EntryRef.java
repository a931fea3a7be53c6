package dev.stepbystep.worker.runtime;

/**
 * A stream entry as the worker tracks it. Entry ids are unique within one queue's stream only:
 * a bulk enqueue over two queues gives their entries the same ids (same millisecond, same
 * sequence), so everything keyed by entry carries the queue too.
 */
record EntryRef(String queue, String streamId) {
}
