"""Demo data of the paid channel (`manage.py load_commerce_demo`)."""
