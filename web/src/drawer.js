// On a phone the filters and lists fold into a drawer over the map, so
// that the map keeps the screen; a button opens and closes it. On a wider
// screen the button is hidden by the stylesheet and the panel stays put.

const $ = (id) => document.getElementById(id);

/** setDrawer opens or closes the drawer. */
export function setDrawer(open) {
  document.body.classList.toggle('drawer-open', open);
  $('drawer-toggle').setAttribute('aria-expanded', String(open));
  $('drawer-toggle').textContent = open ? 'Close filters' : 'Filters and lists';
}

/** wireDrawer connects the button, and Escape closes an open drawer. */
export function wireDrawer() {
  $('drawer-toggle').addEventListener('click', () => setDrawer(!document.body.classList.contains('drawer-open')));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && document.body.classList.contains('drawer-open')) setDrawer(false);
  });
}
