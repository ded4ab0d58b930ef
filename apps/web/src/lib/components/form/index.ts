// The form kit: every form of the app builds its fields from these.
export { default as Field } from './Field.svelte';
export { default as TextField } from './TextField.svelte';
export { default as SelectField } from './SelectField.svelte';
export { default as CheckboxGroup } from './CheckboxGroup.svelte';
export { default as YearField } from './YearField.svelte';
export { default as NewPasswordFields } from './NewPasswordFields.svelte';
export { default as FilterForm } from './FilterForm.svelte';
export { default as UploadForm } from './UploadForm.svelte';
export { feedback, type Feedback, type FormAnswer } from './feedback.ts';
export { keepValues } from './keep-values.ts';
