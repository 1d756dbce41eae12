/**
 * A response body as text, read up to `limit` bytes: past it the body is cancelled (nothing more is downloaded) and
 * the error `tooLarge()` makes is thrown. For answers from servers the hub does not control.
 */
export async function readBoundedText(res: Response, limit: number, tooLarge: () => Error): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
