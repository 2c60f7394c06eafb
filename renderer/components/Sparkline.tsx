// A tiny line chart in SVG: enough for a latency trend; a chart library would be more weight
// than the whole view.
export function Sparkline({ values, width = 240, height = 40, label }: { values: number[]; width?: number; height?: number; label: string }) {
  if (values.length < 2) return <svg className="sparkline" width={width} height={height} aria-label={label} />;
  const max = Math.max(...values, 1);
  const step = width / (values.length - 1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`);
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <polyline points={`0,${height} ${points.join(' ')} ${width},${height}`} className="sparkline-area" />
      <polyline points={points.join(' ')} className="sparkline-line" />
    </svg>
  );
}
