import { useEffect, useRef } from 'react';
import {
  echarts,
  type AriaComponentOption,
  type BarSeriesOption,
  type ComposeOption,
  type GridComponentOption,
  type LegendComponentOption,
  type LineSeriesOption,
  type TooltipComponentOption,
} from '../lib/echarts';

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | AriaComponentOption
>;

/**
 * One ECharts chart that follows its option and its container's width. `label` names it for screen
 * readers (the canvas says nothing by itself; ECharts' aria module adds a description of the data).
 */
export function Chart({
  option,
  label,
  height = 320,
}: {
  option: ChartOption;
  label: string;
  height?: number;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ aria: { enabled: true }, ...option }, { notMerge: true });
  }, [option]);

  return <div ref={element} role="img" aria-label={label} style={{ width: '100%', height }} />;
}
