// Signing in with an API key (DESIGN.md, "Access"). The key is kept in
// sessionStorage — gone when the tab closes, never written to the URL or
// to a cookie — and sent as "Authorization: Bearer KEY" by every request
// the map makes, tiles included. Signing in or out reloads the page, so
// that nothing fetched under one key is shown under another.

const STORE = 'hotspot-key';

/** key is the signed-in key, or ''. */
export function key() {
  try {
    return sessionStorage.getItem(STORE) || '';
  } catch {
    return ''; // storage disabled: the public view
  }
}

/** authHeaders are the headers that carry the key, if any. */
export function authHeaders() {
  const k = key();
  return k ? { Authorization: `Bearer ${k}` } : {};
}

/**
 * transformRequest lets MapLibre send the key with its own requests to
 * this server (tiles, TileJSON), and never to anywhere else.
 */
export function transformRequest(u) {
  const k = key();
  if (!k) return { url: u };
  let same = false;
  try {
    same = new URL(u, location.href).origin === location.origin;
  } catch {
    same = false;
  }
  return same ? { url: u, headers: { Authorization: `Bearer ${k}` } } : { url: u };
}

const ROLE_WORDS = {
  public: 'Public view: police.uk data only',
  partner: 'Partner: local sources as suppressed counts',
  analyst: 'Analyst: all data (access is audited)',
  admin: 'Administrator: all data (access is audited)',
};

/** roleWords describes what a role sees, for the header. */
export function roleWords(role) {
  return ROLE_WORDS[role] || ROLE_WORDS.public;
}

const $ = (id) => document.getElementById(id);

/**
 * wireSignIn shows who the server takes the map for and wires the sign
 * in and sign out controls. whoami is the server's /api/v1/whoami answer
 * for the current key (null when it could not be asked).
 */
export function wireSignIn(whoami) {
  const who = $('signin-who');
  const open = $('signin-open');
  const out = $('signout');
  const form = $('signin-form');
  const input = $('signin-key');
  const err = $('signin-error');
  const role = whoami?.role || 'public';
  who.textContent = whoami?.name ? `${whoami.name} — ${roleWords(role)}` : roleWords(role);
  document.body.dataset.role = role;
  const signedIn = Boolean(key()) && role !== 'public';
  open.hidden = signedIn;
  out.hidden = !signedIn;

  open.addEventListener('click', () => {
    form.hidden = false;
    open.hidden = true;
    input.focus();
  });
  $('signin-cancel').addEventListener('click', () => {
    form.hidden = true;
    open.hidden = false;
    err.hidden = true;
    input.value = '';
  });
  out.addEventListener('click', () => {
    sessionStorage.removeItem(STORE);
    // Back to police.uk: the partner-record filters leave the link too,
    // so that the public page opens without them rather than refusing them.
    location.replace(publicLink(location.href));
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const k = input.value.trim();
    err.hidden = true;
    const problem = await checkKey(k);
    if (problem) {
      err.textContent = problem;
      err.hidden = false;
      return;
    }
    sessionStorage.setItem(STORE, k);
    input.value = '';
    location.reload();
  });
}

/** publicLink is a link without its partner-record filters and premises layer. */
export function publicLink(href) {
  const u = new URL(href);
  for (const p of ['source', 'flag', 'days', 'hours', 'premises', 'kinds']) u.searchParams.delete(p);
  return u.href.replace(/\+/g, '%20');
}

/** checkKey asks the server about a key; it returns what is wrong, or ''. */
async function checkKey(k) {
  if (!k) return 'Paste the key you were given.';
  let res;
  try {
    res = await fetch('/api/v1/whoami', { headers: { Authorization: `Bearer ${k}`, Accept: 'application/json' } });
  } catch (e) {
    return `The server could not be reached (${e.message}).`;
  }
  if (res.ok) return '';
  let msg = `HTTP ${res.status}`;
  try {
    msg = (await res.json()).error || msg;
  } catch {
    // not the API's JSON
  }
  return res.status === 401 ? `That key was refused: ${msg}.` : `The key could not be checked: ${msg}.`;
}

/**
 * whoami asks the server who the map is signed in as. A stored key the
 * server now refuses (revoked, or from another server) is dropped, and the
 * map carries on as the public.
 */
export async function whoami() {
  if (!key()) return { role: 'public' }; // no request: nothing to check
  try {
    const res = await fetch('/api/v1/whoami', { headers: { ...authHeaders(), Accept: 'application/json' } });
    if (res.status === 401 && key()) {
      sessionStorage.removeItem(STORE);
      return { role: 'public', dropped: true };
    }
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}
