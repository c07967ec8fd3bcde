export { applyServerErrors, describeError, emptyToNull, omitNulls } from './serverErrors';
export { FormErrorAlert } from './FormErrorAlert';
