/**
 * A hand-rolled SVG line chart (no dependencies): wall time against N, one line per variant,
 * one panel per command (`pulumi up`, `pulumi refresh`).
 */

export interface Series {
  label: string;
  color: string;
  /** Dash pattern (SVG stroke-dasharray), or "" for a solid line. */
  dash: string;
  /** [N, seconds] points, in increasing N. */
  points: [number, number][];
}

export interface Panel {
  title: string;
  series: Series[];
}

function niceStep(max: number, ticks: number): number {
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * magnitude >= raw) return m * magnitude;
  return 10 * magnitude;
}

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

function panelSvg(panel: Panel, x0: number, width: number, height: number, xs: number[]): string {
  const margin = { left: 56, right: 52, top: 34, bottom: 46 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const maxX = Math.max(...xs);
  const maxY = Math.max(1, ...panel.series.flatMap((s) => s.points.map((p) => p[1])));
  const stepY = niceStep(maxY, 5);
  const topY = Math.ceil(maxY / stepY) * stepY;
  const sx = (n: number) => x0 + margin.left + (n / maxX) * plotW;
  const sy = (s: number) => margin.top + plotH - (s / topY) * plotH;
  const out: string[] = [];
  out.push(`<text x="${x0 + margin.left + plotW / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(panel.title)}</text>`);
  for (let y = 0; y <= topY + 1e-9; y += stepY) {
    out.push(`<line x1="${x0 + margin.left}" y1="${sy(y).toFixed(1)}" x2="${x0 + margin.left + plotW}" y2="${sy(y).toFixed(1)}" stroke="#ddd"/>`);
    out.push(`<text x="${x0 + margin.left - 6}" y="${(sy(y) + 4).toFixed(1)}" text-anchor="end" font-size="11">${fmt(y)}</text>`);
  }
  for (const n of xs) {
    out.push(`<line x1="${sx(n).toFixed(1)}" y1="${margin.top + plotH}" x2="${sx(n).toFixed(1)}" y2="${margin.top + plotH + 4}" stroke="#333"/>`);
    out.push(`<text x="${sx(n).toFixed(1)}" y="${margin.top + plotH + 17}" text-anchor="middle" font-size="11">${n}</text>`);
  }
  out.push(`<line x1="${x0 + margin.left}" y1="${margin.top + plotH}" x2="${x0 + margin.left + plotW}" y2="${margin.top + plotH}" stroke="#333"/>`);
  out.push(`<line x1="${x0 + margin.left}" y1="${margin.top}" x2="${x0 + margin.left}" y2="${margin.top + plotH}" stroke="#333"/>`);
  out.push(`<text x="${x0 + margin.left + plotW / 2}" y="${height - 8}" text-anchor="middle" font-size="12">licences (N)</text>`);
  out.push(
    `<text x="${x0 + 14}" y="${margin.top + plotH / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 ${x0 + 14} ${margin.top + plotH / 2})">wall time (s, median)</text>`,
  );
  for (const s of panel.series) {
    if (s.points.length === 0) continue;
    const d = s.points.map((p, i) => `${i === 0 ? "M" : "L"}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(" ");
    out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`);
    for (const p of s.points) {
      out.push(
        `<circle cx="${sx(p[0]).toFixed(1)}" cy="${sy(p[1]).toFixed(1)}" r="3.5" fill="${s.color}"><title>${esc(`${s.label}, N=${p[0]}: ${p[1].toFixed(2)} s`)}</title></circle>`,
      );
    }
  }
  // Value labels right of each line's last point, pushed apart so that they never overlap.
  const labels = panel.series
    .filter((s) => s.points.length > 0)
    .map((s) => {
      const last = s.points[s.points.length - 1] as [number, number];
      return { text: `${last[1].toFixed(1)} s`, color: s.color, x: sx(last[0]) + 6, y: sy(last[1]) + 4 };
    })
    .sort((a, b) => a.y - b.y);
  for (let i = 1; i < labels.length; i++) {
    const prev = labels[i - 1] as { y: number };
    const cur = labels[i] as { y: number };
    if (cur.y - prev.y < 13) cur.y = prev.y + 13;
  }
  for (const l of labels) out.push(`<text x="${l.x.toFixed(1)}" y="${l.y.toFixed(1)}" font-size="11" fill="${l.color}">${esc(l.text)}</text>`);
  return out.join("\n");
}

/** The whole chart: panels side by side, a shared legend and a caption line. */
export function wallTimeChart(panels: Panel[], xs: number[], caption: string): string {
  const panelW = 420;
  const panelH = 300;
  const legendH = 44;
  const width = panelW * panels.length;
  const height = panelH + legendH;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
  );
  parts.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  panels.forEach((p, i) => parts.push(panelSvg(p, i * panelW, panelW, panelH, xs)));
  const first = panels[0];
  if (first) {
    let x = 60;
    for (const s of first.series) {
      parts.push(
        `<line x1="${x}" y1="${panelH + 12}" x2="${x + 28}" y2="${panelH + 12}" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`,
      );
      parts.push(`<text x="${x + 34}" y="${panelH + 16}" font-size="12">${esc(s.label)}</text>`);
      x += 34 + s.label.length * 6.6 + 24;
    }
  }
  parts.push(`<text x="60" y="${panelH + 36}" font-size="11" fill="#555">${esc(caption)}</text>`);
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}
