import { Timing } from '../measure';

/** What one case reports: lethe's figure, its baseline's, their ratio and the goal. */
export interface CaseResult {
  id: string;
  title: string;
  /** Unit of lethe/baseline: seconds or MB (peak RSS). */
  unit: 's' | 'MB';
  lethe: Timing;
  baseline?: Timing;
  baselineName?: string;
  /** lethe.median / baseline.median, when there is a baseline. */
  ratio?: number;
  goal: string;
  /** undefined when the case has no goal (it reports a rate). */
  met?: boolean;
  /** Every other figure the case measured (sizes, counts, rates). */
  figures: Record<string, number | string>;
}
