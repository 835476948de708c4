// the plan indicators are shared vocabulary: awards' eligibility rules name them too
export { INDICATORS, INDICATOR_NAMES, type Indicator } from '@xhht/infra';
