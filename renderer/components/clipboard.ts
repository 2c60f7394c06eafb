// Copy text for the person: the Clipboard API where the page may use it, a hidden text area
// where it may not (a LAN page over plain http:// is not a secure context).
export async function copyText(text: string): Promise<void> {
  // navigator.clipboard exists only in secure contexts; a LAN http:// page falls back.
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  const area = document.createElement('textarea');
  area.value = text;
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('the browser refused to copy');
}
