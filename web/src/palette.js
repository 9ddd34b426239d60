// Colours of every map class, in one place so that the map, the legend,
// the print sheet and the colour-vision test (test/palette.test.mjs) agree.
// Each ramp keeps every pair of classes at least 8 CIEDE2000 units apart
// for normal vision and for simulated protanopia, deuteranopia and
// tritanopia.

/** Gi* bins +3 … −3 (hot 99/95/90 %, not significant, cold 90/95/99 %):
 * a red–orange ramp for hot spots and a blue one for cold spots, with a
 * neutral grey between, so that hot and cold differ in lightness as well as
 * hue and do not rely on red–green contrast. */
export const GI = {
  3: '#b2182b',
  2: '#e6550d',
  1: '#fdae6b',
  0: '#e8e8e8',
  '-1': '#9ecae1',
  '-2': '#4292c6',
  '-3': '#08306b',
};

/** Incident counts per hexagon (sequential, light to dark). */
export const COUNT = ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'];

/** Ward counts and rates (a second sequential ramp, so that a ward map is
 * never mistaken for a hexagon map in a printed pack). */
export const WARD = ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'];

/** Change on the previous period: purple for falls, orange for rises. */
export const CHANGE = ['#5e3c99', '#b2abd2', '#ececec', '#fdb863', '#e66101'];

/** Significant change bins +3 … −3 (rise 99/95/90 %, none, fall 90/95/99 %):
 * oranges for rises and purples for falls as in CHANGE, darker for more
 * confidence, with a neutral grey between. */
export const CHANGE_BIN = {
  3: '#a63603',
  2: '#e6550d',
  1: '#fdae6b',
  0: '#e8e8e8',
  '-1': '#bcbddc',
  '-2': '#807dba',
  '-3': '#3f007d',
};

/** Emerging hot spot patterns (DESIGN.md's seventeen): the hot eight in
 * reds, oranges and purples, darkest for intensifying, greys for
 * historical; the cold eight in blues and greens. Each side's eight and
 * no_pattern keep ≥ 10 CIEDE2000 units apart in every vision the test
 * simulates (a side's colours were searched for that); no_pattern is the
 * Gi* "not significant" grey. */
export const EMERGING = {
  new_hot: '#fee391',
  consecutive_hot: '#f16913',
  intensifying_hot: '#67000d',
  persistent_hot: '#cb181d',
  diminishing_hot: '#fc9272',
  sporadic_hot: '#c994c7',
  oscillating_hot: '#7a0177',
  historical_hot: '#737373',
  new_cold: '#c7e9c0',
  consecutive_cold: '#1d91c0',
  intensifying_cold: '#08306b',
  persistent_cold: '#225ea8',
  diminishing_cold: '#a6bddb',
  sporadic_cold: '#74c476',
  oscillating_cold: '#238b45',
  historical_cold: '#525252',
  no_pattern: '#e8e8e8',
};

/** A ward or cell with no figure (unknown population, no previous period). */
export const NO_DATA = '#c9c9c9';

export const BACKGROUND = '#f4f4f1';
export const WARD_LINE = '#3a3a3a';
export const INCIDENT = '#54278f';
export const SELECTED = '#000000';
/** The stripes over a hot cell with no incident of its own (drawn over
 * the cell's Gi* colour, so dark enough to show on the lightest hot class). */
export const HATCH = 'rgba(26,26,26,0.8)';
/** The ring round a repeat location chosen from the list. */
export const REPEAT = '#00695c';
/** The outline of next month's target hexagons: dashed, and a colour no
 * fill ramp uses, so that targets are never read as a Gi* class. */
export const TARGET = '#1b7837';
/** A count withheld from a partner key: a darker grey than NO_DATA, so
 * that "something, not shown" never reads as "no figure" or a count. */
export const WITHHELD = '#8c8c8c';
/** The day × hour grid: ColorBrewer YlOrRd, lightest first (as the
 * brief's grid, api/brief/heatgrid.go), and a known zero. */
export const HEAT = ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'];
export const HEAT_ZERO = '#f4f4f4';
/** Premises by register kind: ColorBrewer Dark2, distinct from the hex
 * and ward ramps, and a grey for kinds the map has no colour for. */
export const PREMISES_KIND = {
  licensed: '#7570b3',
  retail: '#1b9e77',
  'knife-vape-seller': '#d95f02',
  takeaway: '#e7298a',
  hostel: '#66a61e',
  other: '#a6761d',
};
export const PREMISES_OTHER = '#666666';
