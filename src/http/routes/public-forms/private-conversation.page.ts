/**
 * The secure link's page: plain HTML with no script (the app's content security policy allows none), a form that
 * posts back to the same address, and nothing the customer wrote before — whoever saw the public post can open it.
 */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const style = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
main{max-width:36rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002}
h1{font-size:1.3rem;margin-top:0}blockquote{margin:1rem 0;padding:.75rem 1rem;background:#eef2f8;border-radius:6px;white-space:pre-wrap}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}input,textarea{width:100%;box-sizing:border-box;padding:.5rem;font:inherit}
textarea{min-height:9rem}button{margin-top:1rem;padding:.6rem 1.2rem;font:inherit;cursor:pointer}
.errors{color:#a01c1c}.small{font-size:.85rem;color:#5a6272}.trap{position:absolute;left:-10000px}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow"><title>${escapeHtml(title)}</title><style>${style}</style></head>
<body><main>${body}</main></body></html>`;
}

export interface ConversationPageInput {
  brand: string;
  introduction: string;
  formToken: string;
  maxLength: number;
  honeypotField: string;
  expiresAt: Date;
  errors?: string[];
  values?: { name?: string; email?: string; message?: string };
}

export function renderConversationPage(input: ConversationPageInput): string {
  const values = input.values ?? {};
  const errors = input.errors && input.errors.length > 0
    ? `<div class="errors" role="alert"><p>Please check the form:</p><ul>${input.errors.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul></div>`
    : '';
  return page(
    `Private conversation with ${input.brand}`,
    `<h1>Private conversation with ${escapeHtml(input.brand)}</h1>
<blockquote>${escapeHtml(input.introduction)}</blockquote>
${errors}
<form method="post">
<input type="hidden" name="token" value="${escapeHtml(input.formToken)}">
<label for="name">Your name (optional)</label><input id="name" name="name" maxlength="200" value="${escapeHtml(values.name ?? '')}">
<label for="email">Your email address — our answers go there</label><input id="email" name="email" type="email" required maxlength="254" value="${escapeHtml(values.email ?? '')}">
<label for="message">Your message</label><textarea id="message" name="message" required maxlength="${input.maxLength}">${escapeHtml(values.message ?? '')}</textarea>
<div class="trap" aria-hidden="true"><label for="${escapeHtml(input.honeypotField)}">Leave this empty</label><input id="${escapeHtml(input.honeypotField)}" name="${escapeHtml(input.honeypotField)}" tabindex="-1" autocomplete="off"></div>
<button type="submit">Send privately</button>
</form>
<p class="small">Only our care team reads what you send here, and this page never shows it again. The link works until ${escapeHtml(input.expiresAt.toUTCString())}.</p>`,
  );
}

export function renderReceivedPage(brand: string): string {
  return page(
    `Message received — ${brand}`,
    `<h1>Thank you</h1><p>${escapeHtml(brand)} has your message and will answer you by email. You can close this page.</p>`,
  );
}

export function renderGonePage(message: string): string {
  return page('Private conversation', `<h1>This link cannot be used</h1><p>${escapeHtml(message)}</p>`);
}
