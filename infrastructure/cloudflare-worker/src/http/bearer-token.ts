/**
 * True when an `Authorization` header carries exactly `Bearer <expected>`. The comparison runs in
 * constant time over SHA-256 digests, so neither the content nor the length of the secret leaks
 * through timing.
 *
 * @example
 * await bearerTokenMatches(request.headers.get('authorization'), env.ADMIN_TOKEN); // true | false
 */
export async function bearerTokenMatches(
  header: string | null,
  expected: string | undefined,
): Promise<boolean> {
  if (expected === undefined || expected === '' || header === null) return false;
  const match = /^Bearer[ ]+(\S{1,4096})\s*$/i.exec(header);
  const presented = match?.[1] ?? '';
  const encoder = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(presented)),
    crypto.subtle.digest('SHA-256', encoder.encode(expected)),
  ]);
  const left = new Uint8Array(a);
  const right = new Uint8Array(b);
  let difference = match === null ? 1 : 0;
  for (let i = 0; i < left.length; i++) difference |= (left[i] as number) ^ (right[i] as number);
  return difference === 0;
}
