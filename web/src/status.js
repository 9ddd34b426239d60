// The status line, notices and the error banner: what the page says about
// loading, about a link it had to change, and about what went wrong.

const $ = (id) => document.getElementById(id);

/** setBusy says whether a load is under way (body[data-state], which the
 * tests wait on) and what the status line reads. */
export function setBusy(busy, text, empty = false) {
  document.body.dataset.state = busy ? 'loading' : 'ready';
  const el = $('status');
  el.textContent = text || '';
  el.classList.toggle('empty', empty);
}

export function showNotice(text) {
  $('notice-text').textContent = text;
  $('notice').hidden = false;
}

/** showError shows a sentence, or an API error in its own words. */
export function showError(err) {
  $('error-text').textContent = typeof err === 'string' ? err : err.words ? err.words() : `Something went wrong: ${err.message}`;
  $('error').hidden = false;
}

export function clearError() {
  $('error').hidden = true;
}

/** fail shows an error that stopped a load, in words. */
export function fail(err) {
  showError(err);
  document.body.dataset.state = 'error';
  $('status').textContent = '';
}
