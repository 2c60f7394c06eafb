// A uPlot chart as a React component: created once per mount, fed new data with setData,
// sized to its box, destroyed on unmount. uPlot draws on a canvas: cheap for thousands of
// points, and the same in the window and in a browser.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartProps {
  /** Built once per mount: series, axes, scales (uPlot.Options without width and height). */
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  height?: number;
  label: string;
  testId?: string;
}

export function Chart({ options, data, height = 180, label, testId }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const chart = new uPlot({ ...options, width: Math.max(200, element.clientWidth), height }, data, element);
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(200, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // Options are fixed for the chart's life; data changes go through setData below.
  }, [options, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  const points = data[0]?.length ?? 0;
  return <div ref={box} className="chart" role="img" aria-label={label} data-testid={testId} data-points={points} />;
}
