/*
** coco.h — the 80 COCO class names in the order YOLOv8 models number them.
*/
#ifndef DETECT_COCO_H
#define DETECT_COCO_H

#define COCO_CLASSES 80

/* Name of class `cls`, or "?" when it is out of range. Never NULL. */
const char *coco_name(int cls);

#endif /* DETECT_COCO_H */
