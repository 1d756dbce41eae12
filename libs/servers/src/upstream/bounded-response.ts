import { MessageTooLargeError } from './message-too-large.error.js';
import { SseEventSizeGuard } from './sse-event-size-guard.js';

/** Same status, headers and url, another body (redirects pass through untouched: their body is never read). */
function withBody(response: Response, body: ReadableStream<Uint8Array>): Response {
  const wrapped = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  Object.defineProperty(wrapped, 'url', { value: response.url });
  return wrapped;
}

const wrappable = (response: Response) => !!response.body && response.status >= 200 && response.status !== 204 && (response.status < 300 || response.status >= 400);

/** A response whose body errors once it passes `limit` bytes (a JSON answer or an error page). */
export function boundedBody(response: Response, limit: number): Response {
  if (!wrappable(response)) return response;
  let size = 0;
  return withBody(
    response,
    response.body!.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          size += chunk.length;
          if (size > limit) controller.error(new MessageTooLargeError(limit, undefined, false));
          else controller.enqueue(chunk);
        },
      }),
    ),
  );
}

/** An SSE response whose body errors when one event passes `limit` bytes; `onTooLarge` hears it first. */
export function boundedEventStream(response: Response, limit: number, onTooLarge: (error: MessageTooLargeError) => void): Response {
  if (!wrappable(response)) return response;
  const guard = new SseEventSizeGuard(limit);
  return withBody(
    response,
    response.body!.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          if (!guard.push(chunk)) return controller.enqueue(chunk);
          const error = new MessageTooLargeError(limit, guard.peekId(), false);
          onTooLarge(error);
          controller.error(error);
        },
      }),
    ),
  );
}
