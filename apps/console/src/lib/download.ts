import { authHeaders } from '../api/client';
import { fetchOk } from '../api/problem';

/**
 * Downloads a file the API serves behind the bearer key: a plain link cannot send the header,
 * so the bytes are fetched and handed to the browser as a blob URL.
 */
export async function downloadFile(path: string, fileName: string): Promise<void> {
  const response = await fetchOk(path, { headers: authHeaders() });
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // The click has started the download; the URL is not needed after this task.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}

/**
 * Writes text to the clipboard. The Clipboard API exists only in secure contexts (https or
 * localhost); an operator reaching the console over plain http gets the older copy command.
 */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  // The only way to copy outside a secure context: deprecated, but every browser keeps it.
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('The browser did not allow copying. Select the transcript and copy it by hand.');
}
