export { useCursorList, pageSize, type CursorList, type ListParameters } from './useCursorList';
export { SortableHeader } from './SortableHeader';
export { ListPager } from './ListPager';
