// What a printed map needs beside the picture: a scale bar and a north
// arrow, drawn on the copy of the map canvas (a PDF has no map controls).

const EARTH = 40075016.686; // metres round the equator (web mercator)

/** metresPerPixel at a latitude and zoom, for 512-pixel tiles (MapLibre's). */
export function metresPerPixel(lat, zoom) {
  return (EARTH * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom);
}

/**
 * niceLength is the longest 1, 2 or 5 × 10ⁿ metres that fits in maxMetres,
 * and its label ("500 m", "2 km").
 */
export function niceLength(maxMetres) {
  const p = 10 ** Math.floor(Math.log10(maxMetres));
  const m = [5, 2, 1].map((f) => f * p).find((x) => x <= maxMetres) ?? p;
  return { metres: m, label: m >= 1000 ? `${m / 1000} km` : `${m} m` };
}

/**
 * drawScaleBar draws a bar about a fifth of the canvas wide at its bottom
 * left; dpr is device pixels per CSS pixel, mpp metres per CSS pixel.
 */
export function drawScaleBar(ctx, width, height, dpr, mpp) {
  const { metres, label } = niceLength((width / dpr / 5) * mpp);
  const len = (metres / mpp) * dpr;
  const x = 12 * dpr, y = height - 14 * dpr, h = 6 * dpr;
  ctx.fillStyle = 'rgba(255,255,255,0.9)';
  ctx.fillRect(x - 6 * dpr, y - 22 * dpr, len + 12 * dpr, 30 * dpr);
  ctx.fillStyle = '#000';
  ctx.fillRect(x, y, len / 2, h);
  ctx.strokeStyle = '#000';
  ctx.lineWidth = 1 * dpr;
  ctx.strokeRect(x, y, len, h);
  ctx.font = `600 ${11 * dpr}px system-ui, Arial, sans-serif`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.fillText(`0`, x, y - 4 * dpr);
  ctx.textAlign = 'right';
  ctx.fillText(label, x + len, y - 4 * dpr);
}

/** drawNorthArrow draws an arrow at the top right, turned by the map's bearing. */
export function drawNorthArrow(ctx, width, dpr, bearing) {
  const cx = width - 22 * dpr, cy = 30 * dpr, r = 14 * dpr;
  ctx.save();
  ctx.fillStyle = 'rgba(255,255,255,0.9)';
  ctx.beginPath();
  ctx.arc(cx, cy, r + 6 * dpr, 0, 2 * Math.PI);
  ctx.fill();
  ctx.translate(cx, cy);
  ctx.rotate((-bearing * Math.PI) / 180);
  ctx.fillStyle = '#000';
  ctx.beginPath();
  ctx.moveTo(0, -r);
  ctx.lineTo(r * 0.55, r * 0.6);
  ctx.lineTo(0, r * 0.25);
  ctx.lineTo(-r * 0.55, r * 0.6);
  ctx.closePath();
  ctx.fill();
  ctx.restore();
  ctx.fillStyle = 'rgba(255,255,255,0.9)';
  ctx.fillRect(cx - 7 * dpr, cy + r + 6 * dpr, 14 * dpr, 14 * dpr);
  ctx.fillStyle = '#000';
  ctx.font = `700 ${11 * dpr}px system-ui, Arial, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText('N', cx, cy + r + 13 * dpr);
}
