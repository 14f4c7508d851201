/**
 * Gathers the calls made in one tick of the event loop into batches of at most `maxBatch`, sends each
 * batch as one request, and answers every call from its own entry of the reply.
 *
 * Why: a quota check is one small EVALSHA, and at 50 concurrent senders the client spent most of its
 * time building, writing and parsing fifty separate commands (bench:quota). The checks that a tick's
 * worth of settled sends starts together now travel as one script call: still one round trip per
 * check, with the per-command cost paid once per batch. No timer: a batch leaves on the next
 * `process.nextTick`, after the promise reactions of the current tick have run, so a lone call waits
 * for nothing.
 *
 * Failure stays per call: an entry of the reply that is an Error, or that `parse` rejects, fails that
 * call alone; a failed request fails every call of its batch with the error `send` rejected with.
 */
export interface TickBatchOptions<In, Out> {
  maxBatch: number;
  /** One request for the batch; resolves to one raw entry per input, in order. */
  send: (inputs: readonly In[]) => Promise<readonly unknown[]>;
  /** Turns one raw entry into the call's answer (throws if it does not fit). */
  parse: (raw: unknown, input: In) => Out;
}

interface Waiting<In, Out> {
  input: In;
  resolve: (value: Out) => void;
  reject: (error: unknown) => void;
}

export function createTickBatch<In, Out>({ maxBatch, send, parse }: TickBatchOptions<In, Out>): (input: In) => Promise<Out> {
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new Error(`createTickBatch: maxBatch must be a positive integer, got ${maxBatch}`);
  let waiting: Array<Waiting<In, Out>> = [];
  let scheduled = false;

  const answer = (batch: ReadonlyArray<Waiting<In, Out>>, replies: readonly unknown[]) => {
    if (!Array.isArray(replies) || replies.length !== batch.length) {
      const error = new Error(`batch reply has ${Array.isArray(replies) ? replies.length : typeof replies} entries for ${batch.length} calls`);
      for (const call of batch) call.reject(error);
      return;
    }
    for (let i = 0; i < batch.length; i++) {
      const call = batch[i] as Waiting<In, Out>;
      const raw = replies[i];
      if (raw instanceof Error) {
        call.reject(raw);
        continue;
      }
      try {
        call.resolve(parse(raw, call.input));
      } catch (error) {
        call.reject(error);
      }
    }
  };

  const dispatch = (batch: ReadonlyArray<Waiting<In, Out>>) => {
    let request: Promise<readonly unknown[]>;
    try {
      request = send(batch.map((call) => call.input));
    } catch (error) {
      request = Promise.reject(error);
    }
    request.then(
      (replies) => answer(batch, replies),
      (error: unknown) => {
        for (const call of batch) call.reject(error);
      },
    );
  };

  const flush = () => {
    scheduled = false;
    const all = waiting;
    waiting = [];
    if (all.length <= maxBatch) dispatch(all);
    else for (let start = 0; start < all.length; start += maxBatch) dispatch(all.slice(start, start + maxBatch));
  };

  return (input) =>
    new Promise<Out>((resolve, reject) => {
      waiting.push({ input, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        process.nextTick(flush);
      }
    });
}
