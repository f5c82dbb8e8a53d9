/** Kustomer's bodies are one resource each: 1 MiB is far above any real one and bounds what a request can cost. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * The raw body bytes, or `undefined` when it is over `limit` bytes: then nothing more is read (a declared
 * `Content-Length` over the limit is refused before the first byte, a stream is cancelled as soon as it crosses it).
 */
export async function readBody(request: Request, limit: number): Promise<Uint8Array | undefined> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await request.body?.cancel().catch(() => {});
    return undefined;
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
