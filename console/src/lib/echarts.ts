/**
 * ECharts with only the parts the reports draw (bar and line charts on a grid, with tooltip and legend), on
 * the canvas renderer. Imported only by the chart component, which report pages load lazily, so none of it
 * is in the first page's JavaScript.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, AriaComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  AriaComponent,
  CanvasRenderer,
]);

export { echarts };
export type { ComposeOption } from 'echarts/core';
export type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
export type {
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
  AriaComponentOption,
} from 'echarts/components';
