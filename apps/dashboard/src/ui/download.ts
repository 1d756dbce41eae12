import { accessToken } from '../session/token-store';

/**
 * Downloads one of the hub's export routes (GET with the bearer token, which a plain link cannot send) and saves it
 * under the name the hub gives. Throws with the hub's own message when it refuses.
 */
export async function downloadExport(path: string, params: URLSearchParams, fallbackName: string): Promise<void> {
  const token = await accessToken();
  if (!token) throw new Error('Your session has ended: sign in again to export.');
  const response = await fetch(`${path}?${params.toString()}`, { headers: { authorization: `Bearer ${token}` } }).catch(() => null);
  if (!response) throw new Error('The hub cannot be reached');
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The export failed (HTTP ${response.status})`);
  }
  const blob = await response.blob();
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click is handled; the object URL only holds memory after that.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
