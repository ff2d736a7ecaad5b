/**
 * Groups the messages sent to another thread during one turn of the event loop into one
 * `postMessage`. Each post wakes the other thread; per page, that wake-up cost more than the whole
 * structured clone of the page (bench:crawl: ~0.3 ms a post on two busy cores), and a busy thread
 * handles many pages in a turn.
 */
export interface BatchedSender<Message> {
  send(message: Message, transfer?: ArrayBuffer): void;
}

export function batchedSender<Message>(
  post: (batch: Message[], transfer: ArrayBuffer[]) => void,
): BatchedSender<Message> {
  let batch: Message[] = [];
  let transfer: ArrayBuffer[] = [];
  const flush = () => {
    const sending = batch;
    const transferring = transfer;
    batch = [];
    transfer = [];
    post(sending, transferring);
  };
  return {
    send(message, transferable) {
      if (batch.length === 0) setImmediate(flush);
      batch.push(message);
      if (transferable) transfer.push(transferable);
    },
  };
}
