import { accessToken } from '../session/token-store';

/** Sends an archive file to the hub (POST /backups/upload with the bearer token); throws with the hub's message. */
export async function uploadArchive(file: Blob): Promise<{ fileName: string }> {
  const token = await accessToken();
  if (!token) throw new Error('Your session has ended: sign in again to upload.');
  const response = await fetch('/backups/upload', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: file,
  }).catch(() => null);
  if (!response) throw new Error('The hub cannot be reached');
  const body = (await response.json().catch(() => null)) as { fileName?: string; error?: { message?: string } } | null;
  if (!response.ok) throw new Error(body?.error?.message ?? `The upload failed (HTTP ${response.status})`);
  return { fileName: body?.fileName ?? '' };
}
