// The heights the virtualized item lists guess for their rows before measuring them, and the
// least the stylesheet draws them at (views.css: `.item-row` and `.group-heading` min-height).
// A guess that matches what a row measures matters: a row measured at another height makes the
// list move every row after it and render again in the frame the row scrolls into view.

/** A plan, stub or work-order row: one title line and one line of what and where. */
export const ITEM_ROW_HEIGHT = 52;

/** A project's heading between the rows. */
export const GROUP_HEADING_HEIGHT = 19;
